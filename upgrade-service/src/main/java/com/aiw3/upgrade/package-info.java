/** NFT upgrade orchestration service. */
package com.aiw3.upgrade;
