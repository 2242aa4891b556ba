/** The whole suite on one machine: broker, database and every service as its own process. */
package com.aiw3.local;
