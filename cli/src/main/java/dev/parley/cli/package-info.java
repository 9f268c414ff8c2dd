/**
 * The command-line client: {@code parley cli <command>}, or {@link dev.parley.cli.CliMain} on its
 * own.
 *
 * <p>{@link dev.parley.cli.CliCommand} is the top command; the launcher adds it as a subcommand.
 * Each subcommand is one class extending {@link dev.parley.cli.CliSubcommand}, which turns every
 * failure into one line on stderr and an exit code ({@link dev.parley.cli.ExitCodes}); the small
 * ones of a family ({@code group ...}, friends and blocks) are nested classes of one file. The
 * human output is written by {@link dev.parley.cli.HumanFormat} and the formats it holds, the
 * {@code --json} output is the operation's result message. Subcommands reach the server through a
 * {@link dev.parley.cli.CliContext}: the resolved global options, the profile file ({@link
 * dev.parley.cli.ProfileStore}, also the SDK's token store) and a lazily built SDK client.
 *
 * <p>Nothing here calls {@code System.exit} or writes to {@code System.out} except {@link
 * dev.parley.cli.CliMain}: output goes to the writers of the picocli {@code CommandLine}, so
 * commands can run in-process (tests, the launcher).
 */
@NullMarked
package dev.parley.cli;

import org.jspecify.annotations.NullMarked;
