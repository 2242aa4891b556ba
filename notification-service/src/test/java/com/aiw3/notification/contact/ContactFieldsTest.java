package com.aiw3.notification.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContactFieldsTest {

    @Test
    void theEmailCheckIsOnePassEvenOverTenMillionCharacters() {
        String hostile = "a@" + ".".repeat(10_000_000) + "@";
        // Past the length limit the check does not read the characters at all; the scan itself is one
        // loop without backtracking, so the guard below is generous by orders of magnitude.
        assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertThat(ContactFields.email(hostile)).isFalse());
        String withinLimit = "a@" + ".".repeat(250) + "@";
        assertThat(ContactFields.email(withinLimit)).isFalse();
    }

    @Test
    void plausibleAddressesPassAndMalformedOnesDoNot() {
        assertThat(ContactFields.email("m@aiw3.test")).isTrue();
        assertThat(ContactFields.email("first.last+tag@mail.example.co.uk")).isTrue();
        assertThat(ContactFields.email("no-at.example")).isFalse();
        assertThat(ContactFields.email("two@@example.com")).isFalse();
        assertThat(ContactFields.email("@example.com")).isFalse();
        assertThat(ContactFields.email("a@nodot")).isFalse();
        assertThat(ContactFields.email("a@.example.com")).isFalse();
        assertThat(ContactFields.email("a@example..com")).isFalse();
        assertThat(ContactFields.email("a@example.com.")).isFalse();
        assertThat(ContactFields.email("a b@example.com")).isFalse();
        assertThat(ContactFields.email("x".repeat(65) + "@example.com")).isFalse();
    }

    @Test
    void phonesAreE164() {
        assertThat(ContactFields.phone("+14155550100")).isTrue();
        assertThat(ContactFields.phone("+1234567")).isTrue();
        assertThat(ContactFields.phone("+123456789012345")).isTrue();
        assertThat(ContactFields.phone("+1234567890123456")).isFalse();
        assertThat(ContactFields.phone("+123456")).isFalse();
        assertThat(ContactFields.phone("+04155550100")).isFalse();
        assertThat(ContactFields.phone("14155550100")).isFalse();
        assertThat(ContactFields.phone("+1415555010a")).isFalse();
    }

    @Test
    void localesAndPushTokens() {
        assertThat(ContactFields.locale("en")).isTrue();
        assertThat(ContactFields.locale("zh-CN")).isTrue();
        assertThat(ContactFields.locale("EN")).isFalse();
        assertThat(ContactFields.locale("zh_CN")).isFalse();
        assertThat(ContactFields.pushToken("fcm-token:APA91b_x")).isTrue();
        assertThat(ContactFields.pushToken("has space")).isFalse();
        assertThat(ContactFields.pushToken("t".repeat(4097))).isFalse();
    }
}
