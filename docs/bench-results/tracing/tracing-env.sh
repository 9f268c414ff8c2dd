# Sourced by quiet/ladder.sh and cpu/measure.sh: the server's tracing settings for $mode, as the
# env_extra array (off: exporter none; r1: sampling 1.0; r001: sampling 0.01; spans to the sink).
sink=http://127.0.0.1:34318/v1/traces
case $mode in
  off) env_extra=(PARLEY_TRACING_EXPORTER=none) ;;
  r1) env_extra=(PARLEY_TRACING_EXPORTER=otlp PARLEY_TRACING_OTLP_ENDPOINT=$sink PARLEY_TRACING_SAMPLING_RATIO=1.0) ;;
  r001) env_extra=(PARLEY_TRACING_EXPORTER=otlp PARLEY_TRACING_OTLP_ENDPOINT=$sink PARLEY_TRACING_SAMPLING_RATIO=0.01) ;;
  *) echo "mode: off | r1 | r001" >&2; exit 2 ;;
esac
