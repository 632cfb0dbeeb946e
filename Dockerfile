# The shout server. Build the jar first, then the image:
#   mvn -B package -DskipTests && docker build -t shout .
# Extra arguments go to the server: docker run --rm --network host shout --mode thread --workers 2
#
# Plain Dockerfile syntax only, so the classic builder builds it as well as BuildKit.
# The base must be glibc-based (Debian, Ubuntu, ...): Netty's native epoll library, which
# process mode needs, does not load on musl (Alpine) without gcompat.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

RUN groupadd --gid 10001 shout \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /opt/shout \
       --shell /usr/sbin/nologin shout

COPY server/target/shout-server.jar /opt/shout/shout-server.jar
# The class-data sharing archive workers start with, made here by this image's JVM: an archive
# serves only the JVM build that made it, so the one made at package time stays out.
RUN java -cp /opt/shout/shout-server.jar dev.shout.server.process.CdsTraining /opt/shout/shout-server.jar \
    && rm /opt/shout/cds-training.log

# All interfaces, so a published port reaches the server; the drain ends before
# `docker stop` gives up (10 s) and sends SIGKILL.
ENV SHOUT_HOST=0.0.0.0 \
    SHOUT_SHUTDOWN_TIMEOUT=8s
EXPOSE 8080

# Numeric, so that runtimes enforcing "non-root" can check it without /etc/passwd.
USER 10001:10001
WORKDIR /opt/shout

# Exec form: java is PID 1 and receives docker stop's SIGTERM itself. The master only
# accepts and hands off connections, so it gets a small heap; workers size their own
# heaps from the container's memory limit.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=10", "-jar", "/opt/shout/shout-server.jar"]
