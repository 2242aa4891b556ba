/** The authenticated caller as api-gateway passes it on, for the services behind it. */
package com.aiw3.web;
