package local.dtskafka.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.ArrayList;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * Apicurio's config-index extension fills this bean at build time, but only its runtime half is
 * on Maven Central. An empty list means no setting can be changed while the registry runs, which
 * a test registry does not need; every setting still comes from application.properties.
 */
@ApplicationScoped
public class DynamicConfigList {
  @Produces
  @ApplicationScoped
  DynamicConfigPropertyList dynamicConfigProperties() {
    return new DynamicConfigPropertyList(new ArrayList<>());
  }
}
