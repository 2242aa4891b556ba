/** The upgrade state machine: API, persistence, the post-burn pipeline, deadlines, recovery and compensation. */
package com.aiw3.upgrade.upgrade;
