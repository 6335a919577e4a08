/** The command line: {@code trailbook serve}, {@code trailbook verify}; one place maps failures to exit codes. */
package org.trailbook.cli;
