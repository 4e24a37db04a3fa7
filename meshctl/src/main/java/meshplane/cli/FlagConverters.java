package meshplane.cli;

import java.util.Map;
import meshplane.cluster.model.PortConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters over {@link ServiceFlags}, {@link Durations} and {@link ByteSizes}: a bad value
 * stops parsing with "Invalid value for option '--flag': ..." and exit status 2, before any request.
 */
final class FlagConverters {
  private FlagConverters() {}

  private interface Parser<T> {
    T parse(String s);
  }

  private static <T> T convert(Parser<T> p, String s) {
    try {
      return p.parse(s);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  static final class Publish implements ITypeConverter<PortConfig> {
    @Override
    public PortConfig convert(String s) {
      return FlagConverters.convert(ServiceFlags::publish, s);
    }
  }

  static final class Published implements ITypeConverter<ServiceFlags.PublishedPort> {
    @Override
    public ServiceFlags.PublishedPort convert(String s) {
      return FlagConverters.convert(ServiceFlags::published, s);
    }
  }

  static final class Constraint implements ITypeConverter<String> {
    @Override
    public String convert(String s) {
      return FlagConverters.convert(ServiceFlags::constraint, s);
    }
  }

  static final class Env implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String s) {
      return FlagConverters.convert(ServiceFlags::env, s);
    }
  }

  static final class Label implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String s) {
      return FlagConverters.convert(ServiceFlags::label, s);
    }
  }

  /** Milliseconds. */
  static final class Duration implements ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      return FlagConverters.convert(Durations::parseMillis, s);
    }
  }

  /** Bytes. */
  static final class Memory implements ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      return FlagConverters.convert(ByteSizes::parse, s);
    }
  }

  /** Millicores. */
  static final class Cpu implements ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      return FlagConverters.convert(ServiceFlags::cpuMillis, s);
    }
  }

  /** Billionths of a core ({@code --limit-cpu}). */
  static final class NanoCpus implements ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      return FlagConverters.convert(TaskLimitFlags::nanoCpus, s);
    }
  }

  /** One {@code --log-opt}. */
  static final class LogOpt implements ITypeConverter<meshplane.cluster.model.LogOptions> {
    @Override
    public meshplane.cluster.model.LogOptions convert(String s) {
      return FlagConverters.convert(TaskLimitFlags::logOpt, s);
    }
  }

  static final class Scale implements ITypeConverter<Map.Entry<String, Integer>> {
    @Override
    public Map.Entry<String, Integer> convert(String s) {
      return FlagConverters.convert(ServiceFlags::scale, s);
    }
  }
}
