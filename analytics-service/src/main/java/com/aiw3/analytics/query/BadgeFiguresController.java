package com.aiw3.analytics.query;

import com.aiw3.web.Caller;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Badges earned and activated: a user's own (operators may read anyone's) and the platform's totals. */
@RestController
@RequestMapping("/api/v1/analytics")
class BadgeFiguresController {

    private final BadgeFigures figures;

    BadgeFiguresController(BadgeFigures figures) {
        this.figures = figures;
    }

    /** {@code {userId, earned, activated}}: zero for a user of whom no badge is known. */
    @GetMapping("/users/{userId}/badges")
    BadgeFigures.UserBadges userBadges(
            Caller caller, @PathVariable @Pattern(regexp = "[A-Za-z0-9_.:@-]{1,200}") String userId) {
        if (!caller.userId().equals(userId)) {
            caller.requireRole(Caller.OPERATOR);
        }
        return figures.of(userId);
    }

    /** {@code {earned, activated}}: every badge earned and activated on the platform, each counted once. */
    @GetMapping("/badges")
    BadgeFigures.Totals totals(Caller caller) {
        return figures.totals();
    }
}
