/** Users' contact data and channel preferences (opt-outs, quiet hours, locale, phone verification), and their API. */
@NullMarked
package com.aiw3.notification.contact;

import org.jspecify.annotations.NullMarked;
