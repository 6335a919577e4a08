/** {@code serve --demo}: a workspace full of realistic events, from the benchmark's own generator. */
package org.trailbook.demo;
