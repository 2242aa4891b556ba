/** NFT upgrade orchestration service. */
@NullMarked
package com.aiw3.upgrade;

import org.jspecify.annotations.NullMarked;
