# shellcheck shell=bash
# Sourced by deploy/run and deploy/cluster: the processes they start (the simulator, entra-backup nodes), their PID
# files, the build they run first and the development secrets they share. Not a command of its own.
#
# The caller sets, before sourcing: root (the checkout), state (the folder of its PID files, logs and secrets), and
# defines say and complain (one line to stdout / stderr, prefixed with its name).

simulator_jar="$root/simulator/target/simulator.jar"
node_jar="$root/node/target/node.jar"
# What a node's command line contains, besides its PID file's start time, to be recognised as ours.
node_marker="-jar $node_jar"

# ---- processes: a PID file holds "PID START"; a PID is ours only if that process still started at START ----

# The start time of a process (clock ticks after boot, or ps's date where there is no /proc); fails if it is gone.
proc_start() {
  local stat
  if [ -r "/proc/$1/stat" ]; then
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # after "pid (command name) ", which may hold spaces; starttime is field 22 of the line
    # shellcheck disable=SC2086 # split on purpose
    set -- $stat
    printf '%s\n' "${20}"
  else
    ps -o lstart= -p "$1" 2>/dev/null | grep . || return 1
  fi
}

proc_args() {
  if [ -r "/proc/$1/cmdline" ]; then tr '\0' ' ' <"/proc/$1/cmdline"; else ps -ww -o args= -p "$1" 2>/dev/null; fi
}

record_pid() { # name pid
  printf '%s %s\n' "$2" "$(proc_start "$2" || echo gone)" >"$state/$1.pid"
}

# Prints the PID in $state/NAME.pid if that very process is still running (same start time, and a command line
# holding MARKER); a PID the system has since given to another process is not ours, whatever its number.
our_pid() { # name marker
  local file="$state/$1.pid" pid started now
  [ -f "$file" ] || return 1
  read -r pid started <"$file" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  now=$(proc_start "$pid") || return 1
  [ "$now" = "$started" ] || return 1
  [[ "$(proc_args "$pid")" == *"$2"* ]] || return 1
  printf '%s\n' "$pid"
}

stop_ours() { # name marker
  local pid
  if pid=$(our_pid "$1" "$2"); then
    say "stopping the $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      say "the $1 did not stop within 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$state/$1.pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until a process is ready (CHECK succeeds); reports at once, with the end of its log, if it exits first.
# Answers 1 if it exited, 2 if it is still not ready after SECONDS.
wait_ready() { # name pid log seconds check...
  local name=$1 pid=$2 log=$3 seconds=$4 status=0
  shift 4
  for _ in $(seq 1 $((seconds * 2))); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" || status=$?
      complain "the $name exited at start (status $status); the end of ${log#"$root/"}:"
      tail -n 30 "$log" >&2
      return 1
    fi
    if "$@"; then
      return 0
    fi
    sleep 0.5
  done
  return 2
}

# ---- the build ----

# Builds when a jar or the mark of the last build is missing, or a pom or anything under src/main (code, portal
# files, resources) changed since that build began. Build output and test reports (target/) do not count.
build_if_needed() { # mark-file
  local built=$1
  if [ ! -f "$node_jar" ] || [ ! -f "$simulator_jar" ] || [ ! -f "$built" ] || [ -n "$(cd "$root" && find . \
      \( -name target -o -name .local -o -name .git -o -name node_modules \) -prune -o \
      -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$built" -print -quit)" ]; then
    say "building (mvn -DskipTests package)"
    touch "$built.next"
    # shellcheck disable=SC2086 # extra flags split on purpose
    (cd "$root" && mvn -B -q -DskipTests ${RUN_MAVEN_FLAGS:-} package)
    mv "$built.next" "$built"
  fi
}

# ---- development secrets, made once and kept in $state/secrets (never committed, readable by you only) ----

secret() { # file: prints the secret in it, making it first if needed
  mkdir -p "$(dirname "$1")"
  chmod 700 "$(dirname "$1")"
  if [ ! -s "$1" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\n' >"$1")
  fi
  cat "$1"
}

# ---- the Microsoft simulator ----

# Starts the simulator with one sample tenant (200 users, 20 groups), keeping its consents and changes in
# STATE_DIR across restarts, and waits until it answers. APP is "clientId:secret:callback1,callback2,..." (the
# development app registration); its ID tokens carry the admin's directory roles (wids), as our sign-in needs.
# Sets simulator_pid, sample_tenant and sample_domain; exits the script if the simulator does not come up.
# detach=1: as for start_node.
start_simulator() { # port state-dir log app
  local port=$1 dir=$2 log=$3 app=$4
  # shellcheck disable=SC2317 # called through wait_ready
  simulator_answers() {
    grep -q "authority:" "$log" 2>/dev/null \
      && curl -fsS --cacert "$dir/simulator-ca.pem" "https://127.0.0.1:$port/_simulator/health" >/dev/null 2>&1
  }
  say "starting the Microsoft simulator on https://127.0.0.1:$port (log: ${log#"$root/"})"
  local launcher=()
  [ "${detach:-0}" = 1 ] && launcher=(setsid)
  "${launcher[@]}" java -Xmx1g -jar "$simulator_jar" --port "$port" --tenants 1 --users 200 --groups 20 --seed 42 \
    --state-dir "$dir" --keep-state --app "$app" \
    --app-group-membership-claims DirectoryRole </dev/null >"$log" 2>&1 &
  simulator_pid=$!
  record_pid simulator "$simulator_pid"
  wait_ready simulator "$simulator_pid" "$log" 60 simulator_answers || {
    [ $? = 2 ] && { complain "the simulator does not answer after 60 s; the end of ${log#"$root/"}:"; tail -n 30 "$log" >&2; }
    exit 1
  }
  sample_tenant=$(awk '/Tenant:/ {print $2; exit}' "$log")
  sample_domain=$(awk '/Tenant:/ {print $3; exit}' "$log")
}

# ---- an entra-backup node ----

# Starts node.jar with deploy/conf/node.conf; its settings come from the ENTRA_* variables of the caller's
# environment (set them on the call: ENTRA_HTTP_PORT=8081 start_node node2 ...). Records its PID under NAME and
# sets node_pid; does not wait (wait_ready does). With detach=1 the node gets a session of its own (setsid), so it
# outlives the script that started it and a Ctrl-C or a closed terminal does not reach it.
#
# A fixed heap (-Xms = -Xmx), as servers run: G1 otherwise keeps the heap near what is live and, under a backup's
# allocation, collects and marks almost without pause (benchmark (a): 86 collections and a marking cycle a second,
# node 22.7-24.7 CPU-s; with a fixed 1 GiB heap 18.1 CPU-s).
start_node() { # name log [heap]
  local name=$1 log=$2 heap=${3:-1g} launcher=()
  [ "${detach:-0}" = 1 ] && launcher=(setsid)
  "${launcher[@]}" java -Xms"$heap" -Xmx"$heap" -Dconfig.file="$root/deploy/conf/node.conf" -jar "$node_jar" </dev/null >"$log" 2>&1 &
  node_pid=$!
  record_pid "$name" "$node_pid"
}
