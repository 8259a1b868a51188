package dev.breaker.cdi.internal;

import java.util.List;
import java.util.Set;

/**
 * What either extension saw of one {@code @Worker} bean, reduced to strings so that the portable
 * extension (reflection) and the build compatible one (language model) feed the same validation.
 * Immutable.
 *
 * @param className     the bean class
 * @param explicitName  the {@code @Named} value, or null
 * @param scope         the bean's scope annotation class name
 * @param types         the erasures of the bean's types
 * @param dependsOn     the class names listed in {@code @DependsOn}
 * @param injectedTypes the erasures of the types it injects ({@code Instance<T>}/{@code Provider<T>} give {@code T})
 */
public record WorkerCandidate(String className, String explicitName, String scope, Set<String> types,
                              List<String> dependsOn, Set<String> injectedTypes) {

    public WorkerCandidate {
        types = Set.copyOf(types);
        dependsOn = List.copyOf(dependsOn);
        injectedTypes = Set.copyOf(injectedTypes);
    }

    public String name() {
        return Names.workerName(className, explicitName);
    }

    /** {@code 'name' (com.example.Class)}: how messages name a worker. */
    public String label() {
        return "'" + name() + "' (" + className + ")";
    }

    /** The type names that make an injection point a lookup of another bean: Instance and Provider unwrap. */
    public static final Set<String> LOOKUP_TYPES = Set.of("jakarta.enterprise.inject.Instance",
            "jakarta.inject.Provider");
}
