/** The golden rule: the real-time stream when online, else a third party by priority; exactly once per channel. */
@NullMarked
package com.aiw3.notification.dispatch;

import org.jspecify.annotations.NullMarked;
