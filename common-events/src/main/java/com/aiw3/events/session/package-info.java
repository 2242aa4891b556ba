/** Sign-ins of users: a session ended before its token expired. */
@NullMarked
package com.aiw3.events.session;

import org.jspecify.annotations.NullMarked;
