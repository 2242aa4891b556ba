/** Badges: their definitions, earning them from trades and upgrades, activation, and consumption by an upgrade. */
@NullMarked
package com.aiw3.upgrade.badge;

import org.jspecify.annotations.NullMarked;
