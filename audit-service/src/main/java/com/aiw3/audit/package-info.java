/** Tamper-evident compliance log of every event. */
package com.aiw3.audit;
