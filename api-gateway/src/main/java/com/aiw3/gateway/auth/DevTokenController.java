package com.aiw3.gateway.auth;

import com.aiw3.web.Problems;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Development-only token endpoint: answers only when {@code aiw3.gateway.jwt.dev-tokens.enabled} (a local run),
 * so a person can try every API with curl. Elsewhere it is a 404: production has no way to mint tokens here.
 */
@RestController
class DevTokenController {

    static final String PATH = "/dev/token";
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,30}");

    private final ObjectProvider<DevTokens> tokens;

    DevTokenController(ObjectProvider<DevTokens> tokens) {
        this.tokens = tokens;
    }

    record TokenRequest(String userId, String wallet, List<String> roles) {}

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> token(@RequestBody TokenRequest request) {
        DevTokens issuer = tokens.getIfAvailable();
        if (issuer == null) {
            throw Problems.notFound("no dev token endpoint: dev tokens are not enabled");
        }
        List<String> roles = request.roles() == null ? List.of("user") : request.roles();
        if (request.userId() == null
                || !USER_ID.matcher(request.userId()).matches()
                || roles.stream().anyMatch(r -> r == null || !ROLE.matcher(r).matches())) {
            throw Problems.badRequest("userId must match [A-Za-z0-9_.:@-]{1,100}; roles are lower-case words");
        }
        String token = issuer.issue(request.userId(), request.wallet(), roles);
        return Map.of("access_token", token, "token_type", "Bearer", "expires_in", issuer.ttlSeconds());
    }
}
