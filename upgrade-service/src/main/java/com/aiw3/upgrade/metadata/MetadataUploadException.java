package com.aiw3.upgrade.metadata;

/** Kubo did not store the metadata, or stored something else than was sent. */
public class MetadataUploadException extends RuntimeException {

    public MetadataUploadException(String message) {
        super(message);
    }

    public MetadataUploadException(String message, Throwable cause) {
        super(message, cause);
    }
}
