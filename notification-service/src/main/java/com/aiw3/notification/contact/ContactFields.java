package com.aiw3.notification.contact;

import org.jspecify.annotations.Nullable;

/**
 * The length limits and syntax of contact data. Every check first compares the length with the field's
 * limit and then makes at most one pass over the characters: no regular expression, so no input can make
 * a check backtrack.
 */
final class ContactFields {

    /** RFC 5321's limit of a forward path, less the angle brackets. */
    static final int EMAIL_MAX = 254;

    /** RFC 5321's limit of a local part. */
    static final int EMAIL_LOCAL_MAX = 64;

    /** E.164: a plus sign and at most 15 digits. */
    static final int PHONE_MAX = 16;

    /** An FCM registration token is about 160 characters; this leaves room for other formats. */
    static final int PUSH_TOKEN_MAX = 4096;

    /** RFC 5646's recommended minimum buffer for a language tag. */
    static final int LOCALE_MAX = 35;

    /** "HH:mm:ss". */
    static final int TIME_MAX = 8;

    /** The digest's channel: {@code email} or {@code push}. */
    static final int DIGEST_MAX = 8;

    /** The longest IANA zone id is 32 characters. */
    static final int TIME_ZONE_MAX = 64;

    /** A one-time code as the user types it (digits, perhaps with spaces). */
    static final int CODE_MAX = 16;

    private ContactFields() {}

    /** Whether {@code value} is longer than {@code max} characters. */
    static boolean tooLong(@Nullable String value, int max) {
        return value != null && value.length() > max;
    }

    /**
     * A plausible address: one {@code @}, a local part of 1 to 64 characters, a domain with at least one
     * inner dot and no empty label, and no whitespace or control characters anywhere.
     */
    static boolean email(String value) {
        int length = value.length();
        if (length < 3 || length > EMAIL_MAX) {
            return false;
        }
        int at = -1;
        boolean domainHasDot = false;
        char previous = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (c == '.' && at >= 0) {
                if (previous == '@' || previous == '.') {
                    return false;
                }
                domainHasDot = true;
            }
            previous = c;
        }
        return at >= 1 && at <= EMAIL_LOCAL_MAX && domainHasDot && previous != '.';
    }

    /** E.164: a plus sign, a first digit 1 to 9, 7 to 15 digits in all. */
    static boolean phone(String value) {
        int length = value.length();
        if (length < 8 || length > PHONE_MAX || value.charAt(0) != '+' || value.charAt(1) == '0') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A language and an optional region: {@code en}, {@code zh-CN}. */
    static boolean locale(String value) {
        return switch (value.length()) {
            case 2 -> lower(value.charAt(0)) && lower(value.charAt(1));
            case 5 ->
                lower(value.charAt(0))
                        && lower(value.charAt(1))
                        && value.charAt(2) == '-'
                        && upper(value.charAt(3))
                        && upper(value.charAt(4));
            default -> false;
        };
    }

    /** A push token: 1 to 4096 visible ASCII characters. */
    static boolean pushToken(String value) {
        int length = value.length();
        if (length < 1 || length > PUSH_TOKEN_MAX) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean lower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
