package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.views.SavedView;
import org.trailbook.views.ViewStore;

/**
 * Saved views in the {@code saved_views} table, shared by every node. The per-owner limit and the
 * unique name are checked inside the inserting transaction under a per-(workspace, owner) advisory
 * lock, so two nodes creating at once cannot pass {@link ViewStore#MAX_PER_OWNER} between them.
 */
public final class PostgresViewStore implements ViewStore {
  private final PostgresDatabase db;
  private final Clock clock;

  public PostgresViewStore(PostgresDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public List<SavedView> list(String workspace, String owner) {
    return Sql.run(db.dataSource(), "list saved views", c -> list(c, workspace, owner));
  }

  @Override
  public SavedView create(String workspace, String owner, String name, String query) {
    String n = ViewStore.validate(name, query);
    return Sql.inTransaction(db.dataSource(), "create a saved view", c -> {
      Sql.lockWorkspace(c, "saved_views", workspace + "\n" + owner);
      List<SavedView> mine = list(c, workspace, owner);
      if (mine.size() >= MAX_PER_OWNER) throw ViewStore.tooMany();
      if (mine.stream().anyMatch(v -> v.name().equals(n))) throw ViewStore.nameTaken(n);
      SavedView v = ViewStore.newView(workspace, owner, n, query, clock);
      try (var st = c.prepareStatement("insert into saved_views (workspace, owner, id, name, query, created_at) values (?, ?, ?, ?, ?, ?)")) {
        st.setString(1, workspace);
        st.setString(2, owner);
        st.setString(3, v.id());
        st.setString(4, v.name());
        st.setString(5, v.query());
        st.setString(6, v.createdAt());
        st.executeUpdate();
      }
      return v;
    });
  }

  @Override
  public void delete(String workspace, String owner, String id) {
    int n = Sql.run(db.dataSource(), "delete a saved view", c -> {
      try (var st = c.prepareStatement("delete from saved_views where workspace = ? and owner = ? and id = ?")) {
        st.setString(1, workspace);
        st.setString(2, owner);
        st.setString(3, id);
        return st.executeUpdate();
      }
    });
    if (n == 0) throw ViewStore.notFound(id);
  }

  private static List<SavedView> list(Connection c, String workspace, String owner) throws SQLException {
    try (var st = c.prepareStatement("select id, name, query, created_at from saved_views where workspace = ? and owner = ? order by n")) {
      st.setString(1, workspace);
      st.setString(2, owner);
      List<SavedView> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) out.add(new SavedView(rs.getString(1), workspace, owner, rs.getString(2), rs.getString(3), rs.getString(4)));
      }
      return out;
    }
  }
}
