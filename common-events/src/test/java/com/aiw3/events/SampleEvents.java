package com.aiw3.events;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Builds a populated instance of any event record, so tests cover every type in the catalogue. */
public final class SampleEvents {

    private SampleEvents() {}

    public static <T> T sample(Class<T> type) {
        return type.cast(value(type, false));
    }

    /** A sample whose JSpecify {@code @Nullable} components, in every nested record too, are null. */
    public static <T> T sampleWithNulls(Class<T> type) {
        return type.cast(value(type, true));
    }

    private static Object value(Type type, boolean nulls) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return List.of(value(args[0], nulls));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("k", value(args[1], nulls));
            }
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            return "text-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (cls == UUID.class) {
            return EventIds.next();
        }
        if (cls == Instant.class) {
            return Instant.parse("2026-11-23T10:15:30.123Z");
        }
        if (cls == int.class || cls == Integer.class) {
            return 7;
        }
        if (cls == long.class || cls == Long.class) {
            return 42L;
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return true;
        }
        if (cls == BigDecimal.class) {
            return new BigDecimal("150.50");
        }
        if (cls.isEnum()) {
            Object[] constants = cls.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (cls.isRecord()) {
            RecordComponent[] components = cls.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = nulls && components[i].getAnnotatedType().isAnnotationPresent(Nullable.class)
                        ? null
                        : value(components[i].getGenericType(), nulls);
                types[i] = components[i].getType();
            }
            try {
                return cls.getDeclaredConstructor(types).newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no sample for " + type);
    }
}
