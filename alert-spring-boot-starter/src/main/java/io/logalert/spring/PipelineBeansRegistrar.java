package io.logalert.spring;

import io.logalert.AlertPipeline;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * One {@link AlertPipeline} bean per configured pipeline, named by its id, so that an application can inject one
 * ({@code @Qualifier("app-prod-errors") AlertPipeline}) or all ({@code Map<String, AlertPipeline>}, keyed by id).
 * How many there are is known only from the properties, so the beans are registered here, before any is created;
 * each is taken from {@link LogalertPipelines}, which builds and checks them all at once.
 */
final class PipelineBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        // problems are not reported here: building LogalertPipelines reports every one of them
        for (String id : new LinkedHashSet<>(EnvironmentConfig.of(environment).read().pipelineIds())) {
            if (registry.containsBeanDefinition(id)) {
                throw new LogalertConfigException(List.of("pipeline `" + id + "`: the application already "
                        + "has a bean named `" + id + "`; each pipeline is a bean named by its id, so rename one"));
            }
            RootBeanDefinition definition = new RootBeanDefinition(AlertPipeline.class);
            definition.setInstanceSupplier(() -> ((BeanFactory) registry).getBean(LogalertPipelines.class)
                    .pipeline(id).orElseThrow());
            // closed by LogalertPipelines, after the run in progress
            definition.setDestroyMethodName(null);
            registry.registerBeanDefinition(id, definition);
        }
    }
}
