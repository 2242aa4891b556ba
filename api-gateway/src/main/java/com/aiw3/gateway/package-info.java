/** The single entry point for the frontend. */
package com.aiw3.gateway;
