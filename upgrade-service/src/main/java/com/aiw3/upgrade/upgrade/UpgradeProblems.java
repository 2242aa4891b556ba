package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.chain.ChainUnavailableException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The domain exceptions of upgrades and claims as RFC 9457 problems, in this one place. Each has a stable {@code type}
 * a client can branch on; the detail is a sentence for the user.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UpgradeProblems {

    static final URI NFT_NOT_IN_WALLET = URI.create("https://aiw3.example/problems/nft-not-in-wallet");
    static final URI CHAIN_UNAVAILABLE = URI.create("https://aiw3.example/problems/chain-unavailable");
    static final URI ALREADY_CLAIMED = URI.create("https://aiw3.example/problems/already-claimed");
    static final URI NO_WALLET = URI.create("https://aiw3.example/problems/no-wallet");

    /** Seconds a client waits before retrying a call refused because the RPC node was out of reach. */
    static final String CHAIN_RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refused(Refusal e) {
        HttpStatus status = switch (e) {
            case Refusal.Missing ignored -> HttpStatus.NOT_FOUND;
            case Refusal.Conflicting ignored -> HttpStatus.CONFLICT;
            case Refusal.AlreadyClaimed ignored -> HttpStatus.CONFLICT;
            case Refusal.Unprocessable ignored -> HttpStatus.UNPROCESSABLE_CONTENT;
            case Refusal.NoWallet ignored -> HttpStatus.UNPROCESSABLE_CONTENT;
            case Refusal.Malformed ignored -> HttpStatus.BAD_REQUEST;
            case Refusal.Throttled ignored -> HttpStatus.TOO_MANY_REQUESTS;
            case Refusal.ShuttingDown ignored -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.detail());
        problem.setTitle(status.getReasonPhrase());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        switch (e) {
            case Refusal.AlreadyClaimed claimed -> {
                problem.setType(ALREADY_CLAIMED);
                problem.setTitle("First NFT already claimed");
                if (claimed.claimId() != null) {
                    problem.setProperty("claimId", claimed.claimId());
                }
            }
            case Refusal.NoWallet ignored -> {
                problem.setType(NO_WALLET);
                problem.setTitle("No wallet");
            }
            case Refusal.Throttled throttled ->
                response.header(
                        HttpHeaders.RETRY_AFTER,
                        Long.toString(Math.max(1, throttled.retryAfter().toSeconds())));
            default -> {}
        }
        return response.body(problem);
    }

    @ExceptionHandler(NftNotInWalletException.class)
    ResponseEntity<ProblemDetail> nftNotInWallet(NftNotInWalletException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT,
                "your NFT %s is no longer in your wallet %s, so it cannot be burned for an upgrade; it is no longer"
                                .formatted(e.mintAddress(), e.walletAddress())
                        + " counted as your NFT");
        problem.setType(NFT_NOT_IN_WALLET);
        problem.setTitle("NFT not in wallet");
        problem.setProperty("mintAddress", e.mintAddress());
        problem.setProperty("walletAddress", e.walletAddress());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    /** The node is down or timed out: nothing was written, the same call can be repeated. */
    @ExceptionHandler(ChainUnavailableException.class)
    ResponseEntity<ProblemDetail> chainUnavailable(ChainUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "the Solana RPC node is unavailable; retry shortly");
        problem.setType(CHAIN_UNAVAILABLE);
        problem.setTitle("Solana RPC node unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, CHAIN_RETRY_AFTER_SECONDS)
                .body(problem);
    }
}
