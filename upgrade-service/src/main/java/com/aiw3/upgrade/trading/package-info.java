/** Trading volume: every executed trade from the trading platform, counted once into the user's volume. */
@NullMarked
package com.aiw3.upgrade.trading;

import org.jspecify.annotations.NullMarked;
