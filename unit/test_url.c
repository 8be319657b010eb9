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
 * Unit tests of redirect307_url.c: percent-encoding of targets and request
 * data (every byte, against tables written out here), decoding URL-paths,
 * hosts and ports, and checking and splitting targets.
 */

#include "unit.h"

/* --------------------------------------------------------------------
 * What each byte becomes, one row of 16 bytes a line from 0x00 to 0xff:
 * 'k' kept as it is, 'e' written as "%XX" (upper-case hex), '+' written as
 * '+', '-' for NUL, which ends a C string and so never reaches the code.
 */

/* Request data in the path: letters, digits and "$-_.+!*'(),:;@&=/~" */
static const char *const unit_path_table[16] = {
    "-eeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "ekeekekkkkkkkkkk", "kkkkkkkkkkkkekee",
    "kkkkkkkkkkkkkkkk", "kkkkkkkkkkkeeeek",
    "ekkkkkkkkkkkkkkk", "kkkkkkkkkkkeeeke",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
};

/* Request data in the query or fragment: letters, digits and ".-*_";
 * a space is '+' */
static const char *const unit_query_table[16] = {
    "-eeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "+eeeeeeeeekeekke", "kkkkkkkkkkeeeeee",
    "ekkkkkkkkkkkkkkk", "kkkkkkkkkkkeeeek",
    "ekkkkkkkkkkkkkkk", "kkkkkkkkkkkeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
};

/* Text that is already a URL: controls, space, non-ASCII and
 * "\"<>\\^`{|}" are encoded; '%' is encoded when no escape follows (a lone
 * "%" here) */
static const char *const unit_clean_table[16] = {
    "-eeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "ekekkekkkkkkkkkk", "kkkkkkkkkkkkekek",
    "kkkkkkkkkkkkkkkk", "kkkkkkkkkkkkekek",
    "ekkkkkkkkkkkkkkk", "kkkkkkkkkkkeeeke",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
    "eeeeeeeeeeeeeeee", "eeeeeeeeeeeeeeee",
};

/* What byte c becomes under table. */
static const char *unit_expected(const char *const *table, int c)
{
    switch (table[c >> 4][c & 0x0f]) {
    case 'k':
        return apr_psprintf(unit_pool, "%c", c);
    case 'e':
        return apr_psprintf(unit_pool, "%%%02X", c);
    case '+':
        return "+";
    }
    fail_msg("byte 0x%02x has no entry", c);
    return NULL;
}

/* Each byte alone, then all of them in one string, for one part. */
static void unit_check_table(const char *const *table, redirect307_part part,
                             int keep_2f)
{
    char all[256], one[2];
    const char *expected_all = "";
    int c;

    for (c = 1; c < 256; c++) {
        const char *expected = unit_expected(table, c);

        one[0] = (char)c;
        one[1] = '\0';
        all[c - 1] = (char)c;
        if (strcmp(redirect307_encode(unit_pool, one, part, keep_2f),
                   expected)) {
            fail_msg("byte 0x%02x in part %d: '%s', expected '%s'", c,
                     (int)part, redirect307_encode(unit_pool, one, part,
                                                   keep_2f), expected);
        }
        expected_all = apr_pstrcat(unit_pool, expected_all, expected, NULL);
    }
    all[255] = '\0';
    assert_str(redirect307_encode(unit_pool, all, part, keep_2f),
               expected_all);
}

static void encode_path_every_byte(void **state)
{
    unit_check_table(unit_path_table, REDIRECT307_IN_PATH, 0);
    unit_check_table(unit_path_table, REDIRECT307_IN_PATH, 1);
}

static void encode_query_every_byte(void **state)
{
    unit_check_table(unit_query_table, REDIRECT307_IN_QUERY, 0);
    unit_check_table(unit_query_table, REDIRECT307_IN_QUERY, 1);
}

static void encode_fragment_every_byte(void **state)
{
    unit_check_table(unit_query_table, REDIRECT307_IN_FRAGMENT, 0);
    unit_check_table(unit_query_table, REDIRECT307_IN_FRAGMENT, 1);
}

static void clean_every_byte(void **state)
{
    char one[2];
    int c;

    for (c = 1; c < 256; c++) {
        const char *expected = unit_expected(unit_clean_table, c);
        const char *out;

        one[0] = (char)c;
        one[1] = '\0';
        out = redirect307_clean(unit_pool, one, 1);
        if (strcmp(out, expected)) {
            fail_msg("byte 0x%02x: '%s', expected '%s'", c, out, expected);
        }
        /* unchanged text is returned as it is, not copied */
        if (unit_clean_table[c >> 4][c & 0x0f] == 'k') {
            assert_ptr_equal(out, one);
        }
    }
}

static void encode_words(void **state)
{
    /* the path keeps '/' and ";:@&=+$," */
    assert_str(redirect307_encode(unit_pool, "/a b/c;d:e@f&g=h+i$j,k",
                                  REDIRECT307_IN_PATH, 0),
               "/a%20b/c;d:e@f&g=h+i$j,k");
    assert_str(redirect307_encode(unit_pool, "a?b#c%d", REDIRECT307_IN_PATH,
                                  0), "a%3Fb%23c%25d");
    assert_str(redirect307_encode(unit_pool, "x\r\nSet-Cookie: a=b",
                                  REDIRECT307_IN_PATH, 0),
               "x%0D%0ASet-Cookie:%20a=b");
    assert_str(redirect307_encode(unit_pool, "caf\xc3\xa9",
                                  REDIRECT307_IN_PATH, 0), "caf%C3%A9");
    /* the query encodes '&', '=', '+', '#', '/' and writes a space '+' */
    assert_str(redirect307_encode(unit_pool, "a&b=c+d#e f/g",
                                  REDIRECT307_IN_QUERY, 0),
               "a%26b%3Dc%2Bd%23e+f%2Fg");
    assert_str(redirect307_encode(unit_pool, "\r\n%\xff",
                                  REDIRECT307_IN_FRAGMENT, 0),
               "%0D%0A%25%FF");
    assert_str(redirect307_encode(unit_pool, "", REDIRECT307_IN_PATH, 0), "");
    assert_str(redirect307_encode(unit_pool, "", REDIRECT307_IN_QUERY, 0), "");
}

static void encode_returns_safe_data_itself(void **state)
{
    const char *path = "/a/b-c_d.e~f", *query = "abc-._*";

    assert_ptr_equal(redirect307_encode(unit_pool, path, REDIRECT307_IN_PATH,
                                        0), path);
    assert_ptr_equal(redirect307_encode(unit_pool, query,
                                        REDIRECT307_IN_QUERY, 0), query);
}

static void encode_keep_2f(void **state)
{
    /* without keep_2f a '%' is request data like any other byte */
    assert_str(redirect307_encode(unit_pool, "a%2Fb", REDIRECT307_IN_PATH, 0),
               "a%252Fb");
    assert_str(redirect307_encode(unit_pool, "a%2fb", REDIRECT307_IN_QUERY,
                                  0), "a%252fb");
    /* with it each "%2F" or "%2f" stays exactly one "%2F" */
    assert_str(redirect307_encode(unit_pool, "a%2Fb", REDIRECT307_IN_PATH, 1),
               "a%2Fb");
    assert_str(redirect307_encode(unit_pool, "a%2fb", REDIRECT307_IN_PATH, 1),
               "a%2Fb");
    assert_str(redirect307_encode(unit_pool, "%2f%2F", REDIRECT307_IN_PATH,
                                  1), "%2F%2F");
    assert_str(redirect307_encode(unit_pool, "%2F", REDIRECT307_IN_QUERY, 1),
               "%2F");
    assert_str(redirect307_encode(unit_pool, "a b%2f?c", REDIRECT307_IN_QUERY,
                                  1), "a+b%2F%3Fc");
    /* other escapes and a "%2" without 'F' are data */
    assert_str(redirect307_encode(unit_pool, "%2e%2", REDIRECT307_IN_PATH, 1),
               "%252e%252");
    assert_str(redirect307_encode(unit_pool, "%41%2F", REDIRECT307_IN_PATH,
                                  1), "%2541%2F");
    assert_str(redirect307_encode(unit_pool, "x%2", REDIRECT307_IN_QUERY, 1),
               "x%252");
}

static void clean_escapes(void **state)
{
    const char *written = "/a%20b%2Fc?x=%41#%7e";

    /* escapes are kept, in either case, and never encoded twice */
    assert_ptr_equal(redirect307_clean(unit_pool, written, strlen(written)),
                     written);
    assert_str(redirect307_clean(unit_pool, "/a%zz", 5), "/a%25zz");
    assert_str(redirect307_clean(unit_pool, "/a%4", 4), "/a%254");
    assert_str(redirect307_clean(unit_pool, "/a%4z", 5), "/a%254z");
    assert_str(redirect307_clean(unit_pool, "/a%", 3), "/a%25");
    assert_str(redirect307_clean(unit_pool, "%%41", 4), "%25%41");
    assert_str(redirect307_clean(unit_pool, "/a b\r\n", 6), "/a%20b%0D%0A");
    assert_str(redirect307_clean(unit_pool, "/{x}|\"<>\\^`", 11),
               "/%7Bx%7D%7C%22%3C%3E%5C%5E%60");
    assert_str(redirect307_clean(unit_pool, "/\xc3\xa9\x7f", 4),
               "/%C3%A9%7F");
    /* only len bytes count: an escape cut off by len is no escape */
    assert_str(redirect307_clean(unit_pool, "/%41", 3), "/%254");
    assert_str(redirect307_clean(unit_pool, "", 0), "");
}

static void upper_2f(void **state)
{
    char a[] = "/a%2fb%2Fc%2e%2", b[] = "%%2f", c[] = "no escape";
    char d[] = "%2f";

    redirect307_upper_2f(a);
    assert_str(a, "/a%2Fb%2Fc%2e%2");
    redirect307_upper_2f(b);
    assert_str(b, "%%2F");
    redirect307_upper_2f(c);
    assert_str(c, "no escape");
    redirect307_upper_2f(d);
    assert_str(d, "%2F");
    assert_int_equal(redirect307_is_2f("%2F"), 1);
    assert_int_equal(redirect307_is_2f("%2f"), 1);
    assert_int_equal(redirect307_is_2f("%2e"), 0);
    assert_int_equal(redirect307_is_2f("%2"), 0);
    assert_int_equal(redirect307_is_2f("/"), 0);
}

/* The decoded path, or NULL when decoding refuses it. */
static const char *unit_decode(const char *path)
{
    char *copy = apr_pstrdup(unit_pool, path);

    return redirect307_decode_path(copy) ? copy : NULL;
}

static void decode_path(void **state)
{
    assert_str(unit_decode("/plain/path"), "/plain/path");
    assert_str(unit_decode("/a%20b"), "/a b");
    assert_str(unit_decode("/%41%62%2e"), "/Ab.");
    assert_str(unit_decode("/caf%C3%A9"), "/caf\xc3\xa9");
    assert_str(unit_decode("/a+b"), "/a+b");
    assert_str(unit_decode("/%25"), "/%");
    assert_str(unit_decode("/%3F%23"), "/?#");
    /* "%2F" is kept, written in upper case */
    assert_str(unit_decode("/a%2fb"), "/a%2Fb");
    assert_str(unit_decode("/a%2Fb"), "/a%2Fb");
    assert_str(unit_decode("/%2f%20%2F"), "/%2F %2F");
    /* bad escapes and an encoded NUL */
    assert_str(unit_decode("/a%zz"), NULL);
    assert_str(unit_decode("/a%4"), NULL);
    assert_str(unit_decode("/a%"), NULL);
    assert_str(unit_decode("/a%g1"), NULL);
    assert_str(unit_decode("/a%00b"), NULL);
    assert_str(unit_decode("/%20%"), NULL);
}

static void hosts(void **state)
{
    assert_int_equal(redirect307_is_host(unit_pool, "example.com"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "a-b_c~d.e"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "localhost"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "192.0.2.1"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "::1"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "[::1]"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "[2001:db8::1]"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, "2001:DB8::A"), 1);
    assert_int_equal(redirect307_is_host(unit_pool, ""), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "a b"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "a/b"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "a@b"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "a%41"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "a\r\nb"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "example.com:80"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "[]"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "["), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "[::1"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "[::1]x"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "::g"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, ":::"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "1:2"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "[fe80::1%eth0]"), 0);
    /* brackets hold an IPv6 address, nothing else */
    assert_int_equal(redirect307_is_host(unit_pool, "[example.com]"), 0);
    assert_int_equal(redirect307_is_host(unit_pool, "[192.0.2.1]"), 0);
    /* apr_ipsubnet_create() refuses IPv4-mapped IPv6 addresses */
    assert_int_equal(redirect307_is_host(unit_pool, "[::ffff:192.0.2.1]"), 0);
}

static void ports(void **state)
{
    assert_int_equal(redirect307_is_port(""), 1);
    assert_int_equal(redirect307_is_port("1"), 1);
    assert_int_equal(redirect307_is_port("80"), 1);
    assert_int_equal(redirect307_is_port("65535"), 1);
    assert_int_equal(redirect307_is_port("00080"), 1);
    assert_int_equal(redirect307_is_port("0"), 0);
    assert_int_equal(redirect307_is_port("00000"), 0);
    assert_int_equal(redirect307_is_port("65536"), 0);
    assert_int_equal(redirect307_is_port("99999"), 0);
    assert_int_equal(redirect307_is_port("000080"), 0);
    assert_int_equal(redirect307_is_port("8a"), 0);
    assert_int_equal(redirect307_is_port("http"), 0);
    assert_int_equal(redirect307_is_port("-1"), 0);
    assert_int_equal(redirect307_is_port("+1"), 0);
    assert_int_equal(redirect307_is_port(" 1"), 0);
}

/* --------------------------------------------------------------------
 * redirect307_split_origin
 */

/* split_origin's error, or "" and the origin's length in *len. */
static const char *unit_split(const char *text, redirect307_syntax syntax,
                              apr_size_t *len)
{
    const char *err = redirect307_split_origin(unit_pool, text, syntax, len);

    return err ? err : "";
}

#define UNIT_NEITHER "the target is neither an absolute URL " \
    "(scheme://host/...) nor a path starting with '/'"
#define UNIT_LITERAL "the scheme and host of the target must be literal " \
    "text: no capture or variable before the path"
#define UNIT_INVALID "the scheme, host or port of the target is not valid"

/* The origin of text, in every syntax, is its first len bytes. */
static void unit_origin_is(const char *text, apr_size_t expected)
{
    apr_size_t len = 99;

    assert_str(unit_split(text, REDIRECT307_LITERAL, &len), "");
    assert_int_equal(len, expected);
    len = 99;
    assert_str(unit_split(text, REDIRECT307_CAPTURES, &len), "");
    assert_int_equal(len, expected);
    len = 99;
    assert_str(unit_split(text, REDIRECT307_EXPRESSIONS, &len), "");
    assert_int_equal(len, expected);
}

/* text is refused with err in every syntax. */
static void unit_refused(const char *text, const char *err)
{
    apr_size_t len;

    assert_str(unit_split(text, REDIRECT307_LITERAL, &len), err);
    assert_str(unit_split(text, REDIRECT307_CAPTURES, &len), err);
    assert_str(unit_split(text, REDIRECT307_EXPRESSIONS, &len), err);
}

static void split_origin_accepted(void **state)
{
    unit_origin_is("/", 0);
    unit_origin_is("/path?q#f", 0);
    unit_origin_is("http://example.com", 18);
    unit_origin_is("http://example.com/p", 18);
    unit_origin_is("https://example.com:8443/p", 24);
    unit_origin_is("HTTP://Example.COM/", 18);
    unit_origin_is("http://example.com?q", 18);
    unit_origin_is("http://example.com#f", 18);
    unit_origin_is("http://h:/", 9);
    unit_origin_is("http://h:00080/", 14);
    unit_origin_is("a+b-c.d://h", 11);
    unit_origin_is("http://[::1]/", 12);
    unit_origin_is("http://[::1]:8080/x", 17);
    unit_origin_is("http://[2001:db8::1]", 20);
    /* userinfo is literal text of the authority */
    unit_origin_is("http://user@example.com/", 23);
    unit_origin_is("http://u:p@h:1/x", 14);
    unit_origin_is("http://@h/", 9);
}

static void split_origin_refused(void **state)
{
    apr_size_t len;

    unit_refused("//example.com/p", "a path target must not start with '//': "
                 "write the scheme, as in 'https://host/path'");
    unit_refused("/\\example.com/p", "a path target must not start with "
                 "'//': write the scheme, as in 'https://host/path'");
    unit_refused("", UNIT_NEITHER);
    unit_refused("example.com/p", UNIT_NEITHER);
    unit_refused("1http://h/", UNIT_NEITHER);
    unit_refused("http:/h/", UNIT_NEITHER);
    unit_refused("http:h", UNIT_NEITHER);
    unit_refused(" /p", UNIT_NEITHER);
    unit_refused("http://", "the target has no host");
    unit_refused("http:///p", "the target has no host");
    unit_refused("http://?q", "the target has no host");
    unit_refused("http://ho st/", "the host part of the target holds a "
                 "character not allowed there: ' '");
    unit_refused("http://h\"/", "the host part of the target holds a "
                 "character not allowed there: '\"'");
    unit_refused("http://a!b/", "'a!b' is not a valid host");
    unit_refused("http://:80/", UNIT_INVALID);
    unit_refused("http://u@/", UNIT_INVALID);
    /* IPv6 */
    unit_refused("http://[]/", UNIT_INVALID);
    unit_refused("http://[::1/", UNIT_INVALID);
    unit_refused("http://::1/", UNIT_INVALID);
    unit_refused("http://[::g]/", "'::g' is not a valid host");
    unit_refused("http://[::1]x/", "'[::1]x' is not a valid host: an IPv6 "
                 "address is written in one pair of brackets");
    unit_refused("http://[::1]:99999/", "'99999' is not a valid port");
    unit_refused("http://[example.com]/", "'[example.com]' is not a valid "
                 "host: only an IPv6 address is written in brackets");
    unit_refused("http://u@[192.0.2.1]:80/", "'[192.0.2.1]' is not a valid "
                 "host: only an IPv6 address is written in brackets");
    /* ports */
    unit_refused("http://h:0/", "'0' is not a valid port");
    unit_refused("http://h:65536/", "'65536' is not a valid port");
    unit_refused("http://h:000080/", "'000080' is not a valid port");
    unit_refused("http://h:-1/", "'-1' is not a valid port");
    unit_refused("http://h:abc/", UNIT_INVALID);
    unit_refused("http://h:8a/", UNIT_INVALID);
    /* an escape in a literal host is no host */
    assert_str(unit_split("http://h%41/", REDIRECT307_LITERAL, &len),
               "'h%41' is not a valid host");
}

static void split_origin_request_data(void **state)
{
    apr_size_t len;

    /* captures and variables may not reach the authority */
    assert_str(unit_split("http://h$1/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://$1/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://u$1@h/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://h:$1/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://h%41/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://h%{X}/", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://h$1/", REDIRECT307_EXPRESSIONS, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://h%41/", REDIRECT307_EXPRESSIONS, &len),
               UNIT_LITERAL);
    /* in a literal target '$' is a character of the host */
    assert_str(unit_split("http://h$1/", REDIRECT307_LITERAL, &len),
               "'h$1' is not a valid host");
    /* the captures after the authority are the path's business */
    unit_origin_is("http://h/$1", 8);
    unit_origin_is("http://h:8080?$1", 13);
}

static void split_origin_expressions(void **state)
{
    apr_size_t len = 99;

    /* "%{" right after the host or port starts the path */
    assert_str(unit_split("http://h%{REQUEST_URI}", REDIRECT307_EXPRESSIONS,
                          &len), "");
    assert_int_equal(len, 8);
    assert_str(unit_split("http://h:8080%{X}", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 13);
    assert_str(unit_split("http://h%{X}%{Y}", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 8);
    assert_str(unit_split("http://a%{X}b", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 8);
    assert_str(unit_split("http://a%{X}/@", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 8);
    /* an '@' inside the braces, escaped or nested, is the expression's */
    assert_str(unit_split("http://a%{X\\}@}/y", REDIRECT307_EXPRESSIONS,
                          &len), "");
    assert_int_equal(len, 8);
    assert_str(unit_split("http://h%{a%{b}@}x", REDIRECT307_EXPRESSIONS,
                          &len), "");
    assert_int_equal(len, 8);
    /* a '%' after the expression is no expression; an unterminated one
     * is the template's to refuse */
    assert_str(unit_split("http://h%{X}%41/", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 8);
    assert_str(unit_split("http://h%{X\\", REDIRECT307_EXPRESSIONS, &len),
               "");
    assert_int_equal(len, 8);
    /* after ':' or '@', before an '@', or in place of the host: refused */
    assert_str(unit_split("http://h:%{X}", REDIRECT307_EXPRESSIONS, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://u@%{X}", REDIRECT307_EXPRESSIONS, &len),
               UNIT_LITERAL);
    assert_str(unit_split("http://a%{X}@evil.example/",
                          REDIRECT307_EXPRESSIONS, &len), UNIT_LITERAL);
    assert_str(unit_split("http://%{HTTP_HOST}/", REDIRECT307_EXPRESSIONS,
                          &len), UNIT_LITERAL);
    assert_str(unit_split("http://%{X}", REDIRECT307_EXPRESSIONS, &len),
               UNIT_LITERAL);
    /* with captures, "%{" is never a path */
    assert_str(unit_split("http://h%{X}", REDIRECT307_CAPTURES, &len),
               UNIT_LITERAL);
    /* literal targets know no expressions: '{' is no host character */
    assert_str(unit_split("http://h%{X}", REDIRECT307_LITERAL, &len),
               "the host part of the target holds a character not allowed "
               "there: '{'");
}

/* --------------------------------------------------------------------
 * redirect307_parse_url
 */

static void parse_url_parts(void **state)
{
    redirect307_url url;

    assert_str(redirect307_parse_url(unit_pool, unit_pool,
                                     "http://e.example/p?q=1#f", &url), NULL);
    assert_str(url.text, "http://e.example/p?q=1#f");
    assert_int_equal(url.origin_len, 16);
    assert_int_equal(url.path_end, 18);
    assert_int_equal(url.query_end, 22);

    assert_str(redirect307_parse_url(unit_pool, unit_pool, "/p", &url), NULL);
    assert_str(url.text, "/p");
    assert_int_equal(url.origin_len, 0);
    assert_int_equal(url.path_end, 2);
    assert_int_equal(url.query_end, 2);

    assert_str(redirect307_parse_url(unit_pool, unit_pool, "https://h",
                                     &url), NULL);
    assert_int_equal(url.origin_len, 9);
    assert_int_equal(url.path_end, 9);
    assert_int_equal(url.query_end, 9);

    /* a '?' after the '#' belongs to the fragment */
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "/p#f?x#y", &url),
               NULL);
    assert_int_equal(url.path_end, 2);
    assert_int_equal(url.query_end, 2);

    assert_str(redirect307_parse_url(unit_pool, unit_pool, "/p?", &url),
               NULL);
    assert_int_equal(url.path_end, 2);
    assert_int_equal(url.query_end, 3);

    assert_str(redirect307_parse_url(unit_pool, unit_pool, "/p?a?b#", &url),
               NULL);
    assert_int_equal(url.path_end, 2);
    assert_int_equal(url.query_end, 6);
}

static void parse_url_cleans(void **state)
{
    redirect307_url url;
    const char *written = "/a%20b?x=%2F";

    /* the offsets are those of the cleaned text */
    assert_str(redirect307_parse_url(unit_pool, unit_pool,
                                     "http://h/a b?c d#e f", &url), NULL);
    assert_str(url.text, "http://h/a%20b?c%20d#e%20f");
    assert_int_equal(url.origin_len, 8);
    assert_int_equal(url.path_end, 14);
    assert_int_equal(url.query_end, 20);
    /* escapes are not encoded again, and clean text is not copied */
    assert_str(redirect307_parse_url(unit_pool, unit_pool, written, &url),
               NULL);
    assert_ptr_equal(url.text, written);
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "/%zz\xc3\xa9",
                                     &url), NULL);
    assert_str(url.text, "/%25zz%C3%A9");
    assert_int_equal(url.path_end, 12);
}

static void parse_url_refused(void **state)
{
    redirect307_url url;

    assert_str(redirect307_parse_url(unit_pool, unit_pool, "old/path", &url),
               UNIT_NEITHER);
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "//h/p", &url),
               "a path target must not start with '//': write the scheme, "
               "as in 'https://host/path'");
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "http:///p", &url),
               "the target has no host");
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "http://h:0/",
                                     &url), "'0' is not a valid port");
    /* a literal target is read literally: '$' is refused in the host */
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "http://$1/",
                                     &url), "'$1' is not a valid host");
    /* brackets twice (found by fuzz_target: "p://[[::]]") */
    assert_str(redirect307_parse_url(unit_pool, unit_pool, "p://[[::]]",
                                     &url), "'[[::]]' is not a valid host: "
               "an IPv6 address is written in one pair of brackets");
    assert_str(redirect307_parse_url(unit_pool, unit_pool,
                                     "http://u@[[::1]]:8080/", &url),
               "'[[::1]]:8080' is not a valid host: an IPv6 address is "
               "written in one pair of brackets");
    assert_null(redirect307_parse_url(unit_pool, unit_pool,
                                      "http://[::1]:8080/", &url));
}

static const struct CMUnitTest tests[] = {
    UNIT_TEST(encode_path_every_byte),
    UNIT_TEST(encode_query_every_byte),
    UNIT_TEST(encode_fragment_every_byte),
    UNIT_TEST(clean_every_byte),
    UNIT_TEST(encode_words),
    UNIT_TEST(encode_returns_safe_data_itself),
    UNIT_TEST(encode_keep_2f),
    UNIT_TEST(clean_escapes),
    UNIT_TEST(upper_2f),
    UNIT_TEST(decode_path),
    UNIT_TEST(hosts),
    UNIT_TEST(ports),
    UNIT_TEST(split_origin_accepted),
    UNIT_TEST(split_origin_refused),
    UNIT_TEST(split_origin_request_data),
    UNIT_TEST(split_origin_expressions),
    UNIT_TEST(parse_url_parts),
    UNIT_TEST(parse_url_cleans),
    UNIT_TEST(parse_url_refused),
};

UNIT_MAIN("redirect307_url", tests)
