/** The golden rule: the real-time stream when online, else a third party by priority; exactly once per channel. */
package com.aiw3.notification.dispatch;
