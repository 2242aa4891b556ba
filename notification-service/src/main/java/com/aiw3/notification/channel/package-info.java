/** The third-party channels: SMS (Twilio), push (FCM via Firebase Admin), email (Jakarta Mail). */
package com.aiw3.notification.channel;
