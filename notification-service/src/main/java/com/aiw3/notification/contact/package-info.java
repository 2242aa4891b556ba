/** Users' contact data and channel preferences (opt-outs, quiet hours, locale, phone verification), and their API. */
package com.aiw3.notification.contact;
