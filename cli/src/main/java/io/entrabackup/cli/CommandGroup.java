package io.entrabackup.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A noun (tenants, jobs, ...) whose verbs are its subcommands: alone, it is a usage error naming them. */
abstract class CommandGroup implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name one of: "
        + String.join(", ", spec.subcommands().values().stream().distinct()
        .map(CommandLine::getCommandName).toList()) + " (entra-backup " + spec.name() + " --help)");
  }
}
