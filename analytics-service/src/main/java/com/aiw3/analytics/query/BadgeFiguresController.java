package com.aiw3.analytics.query;

import com.aiw3.web.Caller;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
    @ApiResponse(responseCode = "200", description = "the user's badges earned and activated")
    @ApiResponse(responseCode = "400", description = "a malformed user id")
    @ApiResponse(responseCode = "403", description = "another user's figures, and the caller is not an operator")
    @GetMapping("/users/{userId}/badges")
    BadgeFigures.UserBadges userBadges(
            Caller caller, @PathVariable @Pattern(regexp = "[A-Za-z0-9_.:@-]{1,200}") String userId) {
        if (!caller.userId().equals(userId)) {
            caller.requireRole(Caller.OPERATOR);
        }
        return figures.of(userId);
    }

    /** {@code {earned, activated}}: every badge earned and activated on the platform, each counted once. */
    @ApiResponse(responseCode = "200", description = "every badge earned and activated on the platform")
    @GetMapping("/badges")
    BadgeFigures.Totals totals(Caller caller) {
        return figures.totals();
    }
}
