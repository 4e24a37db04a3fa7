package meshplane.cluster.api;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the API's server side: records in, records out, unknown fields ignored. */
public final class ApiJson {
  public static final ObjectMapper MAPPER = meshplane.json.JsonMappers.lenient()
      .registerModule(meshplane.dataplane.json.StateJson.module());

  private ApiJson() {}
}
