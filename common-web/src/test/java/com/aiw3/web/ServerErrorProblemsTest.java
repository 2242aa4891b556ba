package com.aiw3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

class ServerErrorProblemsTest {

    static final String SECRET = "jdbc:postgresql://db.internal:5432/prod password=hunter2";

    @RestController
    static class Failing {
        @GetMapping("/bug")
        String bug() {
            throw new IllegalStateException("query failed on " + SECRET);
        }

        @GetMapping("/spring-5xx")
        String springServerError() {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "upstream said " + SECRET);
        }

        @GetMapping("/written-503")
        String written() {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the chain node is unavailable; retry shortly");
        }

        @GetMapping("/domain-400")
        String domain() {
            throw Problems.badRequest("email is not an address");
        }

        @PostMapping("/busy")
        String busy() {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection to " + SECRET);
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Failing())
            .setControllerAdvice(new ServerErrorProblems(), new UnavailableDatabaseAdvice())
            .build();

    @Test
    void anInternalErrorIsAGenericProblemWithAnErrorIdAndNoneOfTheExceptionText() throws Exception {
        String body = mvc.perform(get("/bug"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(500))
                .andExpect(jsonPath("$.detail").value(ServerErrorProblems.GENERIC_DETAIL))
                .andExpect(jsonPath("$.errorId").isNotEmpty())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body)
                .doesNotContain("hunter2")
                .doesNotContain("query failed")
                .doesNotContain("IllegalState");
    }

    @Test
    void aServerErrorRaisedWithAReasonShowsTheGenericDetailInstead() throws Exception {
        String body = mvc.perform(get("/spring-5xx"))
                .andExpect(status().isBadGateway())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errorId").isNotEmpty())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain("hunter2").doesNotContain("upstream said");
    }

    @Test
    void problemsWrittenForUsersKeepTheirDetailAt4xxAnd5xx() throws Exception {
        mvc.perform(get("/domain-400"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("email is not an address"));
        mvc.perform(get("/written-503"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value("the chain node is unavailable; retry shortly"));
    }

    @Test
    void anUnreachableDatabaseIsStillA503WithRetryAfterAndNoConnectionDetails() throws Exception {
        String body = mvc.perform(post("/busy"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", UnavailableDatabaseAdvice.RETRY_AFTER_SECONDS))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain("hunter2");
    }

    @Test
    void everyServletServiceGetsItInPlaceOfSpringBootsProblemHandler() {
        new WebApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ProblemWebAutoConfiguration.class, WebMvcAutoConfiguration.class))
                .withPropertyValues("spring.mvc.problemdetails.enabled=true")
                .run(context -> assertThat(context.getBeansOfType(ResponseEntityExceptionHandler.class)
                                .values())
                        .singleElement()
                        .isInstanceOf(ServerErrorProblems.class));
    }
}
