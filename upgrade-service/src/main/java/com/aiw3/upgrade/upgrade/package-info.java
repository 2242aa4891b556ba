/** The upgrade state machine: API, persistence, the post-burn pipeline, deadlines, recovery and compensation. */
@NullMarked
package com.aiw3.upgrade.upgrade;

import org.jspecify.annotations.NullMarked;
