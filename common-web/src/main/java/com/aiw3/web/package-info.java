/** The authenticated caller as api-gateway passes it on, for the services behind it. */
@NullMarked
package com.aiw3.web;

import org.jspecify.annotations.NullMarked;
