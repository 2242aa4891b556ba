package com.aiw3.gateway.auth;

import com.aiw3.web.IdentityHeaders;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** What a token says about its user, and how that travels to the services: the identity headers. */
public final class JwtIdentity {

    static final String ROLES_CLAIM = "roles";
    static final String WALLET_CLAIM = "wallet";

    private JwtIdentity() {}

    static List<String> roles(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(ROLES_CLAIM);
        return roles == null ? List.of() : roles;
    }

    static Collection<GrantedAuthority> authorities(Jwt jwt) {
        return roles(jwt).stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
    }

    /** Removes any identity header a client sent: only the gateway may set them. */
    public static void strip(HttpHeaders headers) {
        headers.remove(IdentityHeaders.USER_ID);
        headers.remove(IdentityHeaders.WALLET);
        headers.remove(IdentityHeaders.ROLES);
    }

    /** Sets the identity headers from a validated token. */
    public static void apply(Jwt jwt, HttpHeaders headers) {
        strip(headers);
        headers.set(IdentityHeaders.USER_ID, jwt.getSubject());
        Optional.ofNullable(jwt.getClaimAsString(WALLET_CLAIM)).ifPresent(w -> headers.set(IdentityHeaders.WALLET, w));
        headers.set(IdentityHeaders.ROLES, String.join(",", roles(jwt)));
    }
}
