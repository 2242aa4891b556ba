package com.aiw3.upgrade.upgrade;

/** The upgrade moved on (another request or instance) since it was read; the move did not happen. */
class StaleUpgradeException extends RuntimeException {

    StaleUpgradeException(String message) {
        super(message);
    }
}
