package com.aiw3.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

class UnavailableDatabaseAdviceTest {

    @RestController
    static class BusyDatabase {
        @PostMapping("/things")
        String create() {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new BusyDatabase())
            .setControllerAdvice(new UnavailableDatabaseAdvice())
            .build();

    @Test
    void aDatabaseOutOfReachIsA503ProblemWithRetryAfter() throws Exception {
        mvc.perform(post("/things"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(jsonPath("$.status").value(503));
    }
}
