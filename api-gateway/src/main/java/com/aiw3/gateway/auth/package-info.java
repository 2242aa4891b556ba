/** JWT authentication, the identity headers passed downstream, the browser session cookie. */
@NullMarked
package com.aiw3.gateway.auth;

import org.jspecify.annotations.NullMarked;
