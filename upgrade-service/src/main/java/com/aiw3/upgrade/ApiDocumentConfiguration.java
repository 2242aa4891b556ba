package com.aiw3.upgrade;

import com.aiw3.web.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the served OpenAPI document (docs/reference/openapi/upgrade-service.json, from which the
 * TypeScript kit's REST types are generated) say what the API does: the caller is the identity the gateway
 * signed, not a request parameter, and a record component without {@code @Nullable} is always present.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentConfiguration {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    ModelConverter requiredRecordComponents() {
        return new RequiredRecordComponents();
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
