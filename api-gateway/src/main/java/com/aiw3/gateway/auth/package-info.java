/** JWT authentication, the identity headers passed downstream, the browser session cookie. */
package com.aiw3.gateway.auth;
