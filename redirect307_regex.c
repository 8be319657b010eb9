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
 * The literal start of a regex: the text every match of a regex anchored
 * with '^' begins with, read from the pattern without the regex engine.
 * It only has to be safe, never complete: anything not fully understood
 * ends the literal or gives it up.
 */

#include "apr_lib.h"
#include "apr_strings.h"

#define APR_WANT_STRFUNC
#include "apr_want.h"

#include "redirect307_private.h"

/* Might the regex have a '|' outside every group, which makes its start
 * optional?  Also true when a character class holds '[', '(' or ')': the
 * group depth is then not worth working out.  A ']' right after '[' or
 * "[^" is a member of the class, as in PCRE. */
static int redirect307_regex_has_top_alternation(const char *regex)
{
    const char *s;
    int depth = 0;

    for (s = regex; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
        }
        else if (*s == '[') {
            s += (s[1] == '^') ? 2 : 1;
            for (s += (*s == ']'); *s && *s != ']'; s++) {
                if (*s == '[' || *s == '(' || *s == ')') {
                    return 1;
                }
                if (*s == '\\' && s[1]) {
                    s++;
                }
            }
            if (!*s) {
                return 1;
            }
        }
        else if (*s == '(') {
            depth++;
        }
        else if (*s == ')') {
            depth--;
        }
        else if (*s == '|' && depth <= 0) {
            return 1;
        }
    }
    return 0;
}


/* The literal text a regex anchored with '^' requires at the start of the
 * subject ("^/old/(.*)" requires "/old/"), so that a cheap, case-sensitive
 * comparison can rule most regexes out before they run.  It must never
 * rule out a path the regex matches, so it gives up (returns 0) rather
 * than imitate the regex engine:
 *  - when the regex is compiled with options beyond httpd's defaults
 *    (options_set: RegexDefaultOptions holds anything but DOTALL and
 *    DOLLAR_ENDONLY): ICASE folds case, which the comparison would have to
 *    copy exactly; a regex that gives up is still run, only never skipped;
 *  - when the pattern holds "(?" or "(*" anywhere (inline options such as
 *    (?i) or (?x), comments, verbs), "\Q", "\E" or "\c" (they change how
 *    the characters after them read), or a '|' outside every group (the
 *    start is then optional).
 * Otherwise only plain characters and escaped punctuation count; the text
 * ends at anything else (a group, a class, ".", "\d", "\b"...), and a
 * character followed by a quantifier is left out. */
apr_size_t redirect307_regex_literal(apr_pool_t *p, const char *regex,
                                     int options_set, const char **literal)
{
    static const char *const unknown[] = {
        "(?", "(*", "\\Q", "\\E", "\\c", NULL
    };
    const char *const *u;
    const char *s;
    char *buf;
    apr_size_t len = 0;

    *literal = NULL;
    if (regex[0] != '^' || options_set) {
        return 0;
    }
    for (u = unknown; *u; u++) {
        if (strstr(regex, *u)) {
            return 0;
        }
    }
    if (redirect307_regex_has_top_alternation(regex)) {
        return 0;
    }
    buf = apr_palloc(p, strlen(regex));
    for (s = regex + 1; *s; s++) {
        char c = *s;

        if (c == '\\') {
            if (!s[1] || apr_isalnum(s[1])) {
                break;          /* \d, \b, \1, \x41...: not plain text */
            }
            c = *++s;
        }
        else if (strchr(".^$|?*+()[]{}", c)) {
            break;
        }
        /* a quantifier after this character makes it optional */
        if (s[1] && strchr("?*{", s[1])) {
            break;
        }
        buf[len++] = c;
    }
    buf[len] = '\0';
    *literal = buf;
    return len;
}
