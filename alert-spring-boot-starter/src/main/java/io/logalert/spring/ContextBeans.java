package io.logalert.spring;

import io.logalert.config.Beans;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;

/** The application context's beans, for sections that name one: {@code sinks: [{bean: opsSink}]}. */
final class ContextBeans implements Beans {

    private final ListableBeanFactory beanFactory;

    ContextBeans(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Optional<Object> find(String name) {
        return beanFactory.containsBean(name) ? Optional.of(beanFactory.getBean(name)) : Optional.empty();
    }

    @Override
    public Set<String> names(Class<?> type) {
        return new LinkedHashSet<>(List.of(beanFactory.getBeanNamesForType(type)));
    }
}
