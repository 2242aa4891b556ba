package com.aiw3.gateway.auth;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** What a token says about its user; {@link InternalIdentities} passes it on to the services, signed. */
final class JwtIdentity {

    static final String ROLES_CLAIM = "roles";
    static final String WALLET_CLAIM = "wallet";
    static final String SESSION_CLAIM = "sid";

    private JwtIdentity() {}

    static List<String> roles(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(ROLES_CLAIM);
        return roles == null ? List.of() : roles;
    }

    static String wallet(Jwt jwt) {
        return jwt.getClaimAsString(WALLET_CLAIM);
    }

    static Collection<GrantedAuthority> authorities(Jwt jwt) {
        return roles(jwt).stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
    }
}
