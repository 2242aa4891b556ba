package com.aiw3.upgrade.badge;

import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's badges ({@code /api/v1/badges}); the caller is the user the gateway authenticated. */
@RestController
class BadgeController {

    private final BadgeBook book;

    BadgeController(BadgeBook book) {
        this.book = book;
    }

    /** Owned (earned, not activated), activated, consumed, and the badges still to earn with progress. */
    @GetMapping("/api/v1/badges")
    BadgeBook.Badges badges(Caller caller) {
        return book.of(caller.userId());
    }

    /**
     * Activates one of the caller's earned badges: 200 with the badge. Again: 200 with the badge as it is,
     * {@code Idempotent-Replayed: true}. A badge the caller does not have: 404; a consumed one: 409.
     */
    @PostMapping("/api/v1/badges/{code}/activate")
    ResponseEntity<BadgeBook.Badge> activate(Caller caller, @PathVariable String code) {
        if (code.isEmpty() || code.length() > 64) {
            throw Problems.notFound("you have no badge " + code + " to activate: earn it first");
        }
        BadgeBook.Activation activation = book.activate(caller.userId(), code);
        return ResponseEntity.ok()
                .header("Idempotent-Replayed", Boolean.toString(activation.replayed()))
                .body(activation.badge());
    }
}
