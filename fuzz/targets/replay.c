/* Copyright 2026 The mod_redirect307 authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/*
 * Replays inputs through a fuzz target without libFuzzer, so that a plain
 * gcc build checks the corpus:
 *
 *   replay FILE-OR-DIRECTORY...
 *
 * Each file is one input.  A target that finds a property broken aborts,
 * and the name of the input it was given is on stderr just before.  Prints
 * "replay: N inputs" at the end.
 */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

static int replay_file(const char *name)
{
    FILE *f = fopen(name, "rb");
    uint8_t *buf;
    long size;

    if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET)) {
        fprintf(stderr, "replay: cannot read %s\n", name);
        return 1;
    }
    buf = malloc(size ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "replay: cannot read %s\n", name);
        return 1;
    }
    fclose(f);
    fprintf(stderr, "replay: %s\n", name);
    LLVMFuzzerTestOneInput(buf, (size_t)size);
    free(buf);
    replayed++;
    return 0;
}

static int replay(const char *name)
{
    struct stat st;
    struct dirent **entries;
    int n, i, rc = 0;

    if (stat(name, &st)) {
        fprintf(stderr, "replay: cannot read %s\n", name);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return replay_file(name);
    }
    n = scandir(name, &entries, NULL, alphasort);
    for (i = 0; i < n; i++) {
        if (entries[i]->d_name[0] != '.') {
            char path[4096];

            snprintf(path, sizeof(path), "%s/%s", name, entries[i]->d_name);
            rc |= replay(path);
        }
        free(entries[i]);
    }
    free(entries);
    return rc;
}

int main(int argc, char **argv)
{
    int i, rc = 0;

    for (i = 1; i < argc; i++) {
        rc |= replay(argv[i]);
    }
    printf("replay: %lu inputs\n", replayed);
    return rc;
}
