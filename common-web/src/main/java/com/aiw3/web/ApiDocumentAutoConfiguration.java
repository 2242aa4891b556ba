package com.aiw3.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.method.HandlerMethod;

/**
 * Makes the OpenAPI document a servlet service serves (checked in under docs/reference/openapi/, from
 * which the TypeScript kit's REST types are generated) say what the API does, the same in every service:
 *
 * <ul>
 *   <li>the caller is the identity the gateway signed, not a request parameter; an operation with a
 *       {@link Caller} answers {@code 401} without one;
 *   <li>with {@link AdmissionFilter} on, every operation can answer {@code 503} (overload, {@code Retry-After});
 *   <li>a success answer is {@code application/json} (the answer's status is the one the controller declares
 *       with {@code @ApiResponse}, such as {@code 202} for an accepted upgrade);
 *   <li>every error answer (4xx, 5xx) is an RFC 9457 {@code application/problem+json} {@value #PROBLEM}, the
 *       one shape {@link ServerErrorProblems} and the services' problem handlers write;
 *   <li>a record component without {@code @Nullable} (nor {@code Optional}) is always present.
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springdoc.core.customizers.OperationCustomizer")
public class ApiDocumentAutoConfiguration {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";
    static final String OVERLOADED = "more requests in flight than the instance admits (Retry-After)";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    ModelConverter requiredRecordComponents() {
        return new RequiredRecordComponents();
    }

    @Bean
    OperationCustomizer problemAnswers(Environment environment) {
        boolean admission = environment.getProperty("aiw3.web.admission.enabled", Boolean.class, true);
        return (operation, handler) -> describeAnswers(operation, handler, admission);
    }

    @Bean
    OpenApiCustomizer problemSchema() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM, problem());
        };
    }

    static Operation describeAnswers(Operation operation, HandlerMethod handler, boolean admission) {
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        boolean hasCaller =
                Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.getParameterType() == Caller.class);
        if (hasCaller && !responses.containsKey("401")) {
            responses.addApiResponse("401", new ApiResponse().description("no signed caller identity"));
        }
        if (admission) {
            ApiResponse unavailable = responses.get("503");
            if (unavailable == null) {
                responses.addApiResponse("503", new ApiResponse().description(OVERLOADED));
            } else {
                unavailable.setDescription(unavailable.getDescription() + "; or " + OVERLOADED);
            }
        }
        for (Map.Entry<String, ApiResponse> entry : responses.entrySet()) {
            ApiResponse response = entry.getValue();
            if (entry.getKey().startsWith("4") || entry.getKey().startsWith("5")) {
                response.setContent(
                        new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
            } else if (response.getContent() != null && response.getContent().containsKey("*/*")) {
                Content json = new Content();
                response.getContent()
                        .forEach((type, media) -> json.addMediaType("*/*".equals(type) ? JSON : type, media));
                response.setContent(json);
            }
        }
        return operation;
    }

    /** RFC 9457's members; a problem may carry more (such as {@code errorId} or {@code claimId}). */
    private static Schema<?> problem() {
        Schema<?> problem = new ObjectSchema()
                .description("An RFC 9457 problem: branch on type and status, show detail to the user.")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"));
        problem.setAdditionalProperties(true);
        problem.setRequired(List.of("status", "title"));
        return problem;
    }

    /** A property the API sends as {@code null}: a record component it does not leave out when null. */
    private static void allowNull(Schema<?> property) {
        if (property.getSpecVersion() == SpecVersion.V31 && property.getTypes() != null) {
            property.addType("null");
        } else if (property.getSpecVersion() != SpecVersion.V31) {
            property.setNullable(true);
        }
    }

    /**
     * Lists every record component not annotated {@code @Nullable} (nor {@code Optional}) as required, and
     * marks a {@code @Nullable} one nullable unless its record leaves nulls out of the JSON. A
     * {@code @Nullable} one stays optional: the same records are request bodies, where it may be absent.
     */
    static final class RequiredRecordComponents implements ModelConverter {

        @Override
        public @Nullable Schema<?> resolve(
                AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            if (!chain.hasNext()) {
                return null;
            }
            Schema<?> resolved = chain.next().resolve(type, context, chain);
            Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
            if (resolved == null || !raw.isRecord()) {
                return resolved;
            }
            Schema<?> model = resolved;
            if (resolved.get$ref() != null) {
                model = context.getDefinedModels()
                        .get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1));
            }
            if (model == null || model.getProperties() == null) {
                return resolved;
            }
            JsonInclude include = raw.getAnnotation(JsonInclude.class);
            boolean nullsLeftOut = include != null && include.value() == JsonInclude.Include.NON_NULL;
            List<String> required = new ArrayList<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                Schema<?> property = model.getProperties().get(component.getName());
                if (property == null) {
                    continue;
                }
                boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class)
                        || component.getType() == Optional.class;
                if (!nullable) {
                    required.add(component.getName());
                } else if (!nullsLeftOut) {
                    allowNull(property);
                }
            }
            model.setRequired(required.isEmpty() ? null : required);
            return resolved;
        }
    }
}
