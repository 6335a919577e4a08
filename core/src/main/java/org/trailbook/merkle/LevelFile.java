package org.trailbook.merkle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.trailbook.FileFormat;

/**
 * One level file of a {@link TreeStore} (format in its Javadoc). The writer and recovery use {@code channel}; readers use their own channel, so
 * a reader interrupted mid-read (which closes a FileChannel) cannot break the writer: the next
 * reader reopens it.
 */
final class LevelFile {
  final int level;
  final Path path;
  final FileChannel channel;
  /** Where node 0 is: after the file header, or 0 in a version 0 file. */
  final long base;
  volatile FileChannel readers;

  LevelFile(int level, Path path) throws IOException {
    this.level = level;
    this.path = path;
    this.channel = org.trailbook.OwnerOnly.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      this.base = start();
      this.readers = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Checks the file header, writing one into an empty file; returns where node 0 is. */
  private long start() throws IOException {
    long size = channel.size();
    switch (TreeStore.LEVEL_FORMAT.probe(path, channel)) {
      case FileFormat.Headed h -> {
        return h.length();
      }
      case FileFormat.Headerless h -> {
        if (size > 0) return 0;
      }
      case FileFormat.Damaged d -> {
        if (size >= TreeStore.LEVEL_FORMAT.headerLength()) throw new TreeStoreException("level " + level + " of the tree, " + path + ", is damaged: " + d.problem());
        channel.truncate(0); // a header cut short: the level was created but never synced, so holds no node
      }
    }
    ByteBuffer header = ByteBuffer.wrap(TreeStore.LEVEL_FORMAT.header());
    while (header.hasRemaining()) channel.write(header, header.position());
    return header.capacity();
  }

  /** The whole nodes the file holds. */
  long nodes() throws IOException {
    return (channel.size() - base) / Hash.SIZE;
  }

  void truncate(long nodes) throws IOException {
    if (channel.size() > base + nodes * Hash.SIZE) channel.truncate(base + nodes * Hash.SIZE);
  }

  /** A read by the writer or recovery. */
  Hash read(long index) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Hash.SIZE);
    readFully(buffer, index * Hash.SIZE);
    return Hash.wrap(buffer.array());
  }

  void readFully(ByteBuffer buffer, long position) throws IOException {
    readFully(channel, buffer, base + position);
  }

  void writeFully(ByteBuffer buffer, long position) throws IOException {
    position += base;
    while (buffer.hasRemaining()) position += channel.write(buffer, position);
  }

  /** A read by any thread. */
  Hash readShared(long index) {
    ByteBuffer buffer = ByteBuffer.allocate(Hash.SIZE);
    readShared(buffer, index * Hash.SIZE);
    return Hash.wrap(buffer.array());
  }

  void readShared(ByteBuffer buffer, long position) {
    for (int attempt = 0; ; attempt++) {
      FileChannel current = readers;
      try {
        readFully(current, buffer.clear(), base + position);
        return;
      } catch (ClosedChannelException e) {
        if (attempt > 0 || Thread.currentThread().isInterrupted() || !channel.isOpen()) {
          throw new TreeStoreException("cannot read level " + level + " of " + path + ": closed or interrupted", e);
        }
        reopenReaders(current);
      } catch (IOException e) {
        throw new TreeStoreException("cannot read level " + level + " of " + path + ": " + e.getMessage(), e);
      }
    }
  }

  private synchronized void reopenReaders(FileChannel failed) {
    if (readers != failed) return;
    try {
      readers = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new TreeStoreException("cannot reopen level " + level + " of " + path + ": " + e.getMessage(), e);
    }
  }

  private void readFully(FileChannel from, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int read = from.read(buffer, position);
      if (read < 0) throw new TreeStoreException("level " + level + " of " + path + " ends at " + position + " before a node");
      position += read;
    }
  }

  void close() {
    try {
      channel.close();
      readers.close();
    } catch (IOException e) {
      // Closing after use: nothing left to lose.
    }
  }
}
