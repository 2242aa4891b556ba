/** Trades the trading platform executed: the source of every user's trading volume. */
@NullMarked
package com.aiw3.events.trading;

import org.jspecify.annotations.NullMarked;
