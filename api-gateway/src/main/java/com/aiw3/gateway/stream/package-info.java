/** The streaming upgrade POST: create the upgrade and stream its progress on the same response. */
package com.aiw3.gateway.stream;
