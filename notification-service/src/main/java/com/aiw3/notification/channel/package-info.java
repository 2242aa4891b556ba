/** The third-party channels: SMS (Twilio), push (FCM via Firebase Admin), email (Jakarta Mail). */
@NullMarked
package com.aiw3.notification.channel;

import org.jspecify.annotations.NullMarked;
