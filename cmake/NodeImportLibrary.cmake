# A Windows addon imports its napi_* functions from the executable that loads it (node.exe), and a mingw link needs
# an import library for that. node-gyp downloads node.lib; this makes the same thing from node-api-headers'
# node_api.def (which lists the js_native_api functions too) with dlltool, so the build needs no MSVC, no Python
# and no network. `--dllname node.exe` is the DLL name written into the addon's import table. The imports are
# delay-loaded (`--output-delaylib`): resolved at the first call, through addon/win/HostModuleHook.cpp, which hands
# the loader the process's own image, so the addon also loads in an executable not called node.exe that exports
# Node-API (Electron's: VS Code's Code.exe, an app's own .exe).
#
# regbridge_link_node_import(<target>): links <target> (a MODULE library) against that import library and the hook.

set(_nodeDef ${NODE_MODULES}/node-api-headers/def/node_api.def)
if(NOT EXISTS ${_nodeDef})
  message(FATAL_ERROR "${_nodeDef} is missing: node-api-headers in node_modules is too old or absent (npm ci)")
endif()
if(NOT CMAKE_DLLTOOL)
  message(FATAL_ERROR "dlltool not found: use cmake/mingw-w64-x86_64.cmake as the toolchain file")
endif()

set(REGBRIDGE_NODE_IMPORT_LIB ${CMAKE_BINARY_DIR}/node-import/libnode.a)
add_custom_command(OUTPUT ${REGBRIDGE_NODE_IMPORT_LIB}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/node-import
  COMMAND ${CMAKE_DLLTOOL} --input-def ${_nodeDef} --output-delaylib ${REGBRIDGE_NODE_IMPORT_LIB} --dllname node.exe
  DEPENDS ${_nodeDef}
  COMMENT "Delay-load import library for node.exe from node_api.def"
  VERBATIM)
add_custom_target(regbridge_node_import DEPENDS ${REGBRIDGE_NODE_IMPORT_LIB})

function(regbridge_link_node_import target)
  add_dependencies(${target} regbridge_node_import)
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/addon/win/HostModuleHook.cpp)
  target_link_libraries(${target} PRIVATE ${REGBRIDGE_NODE_IMPORT_LIB})
  # Relinks the addon when the import library is remade.
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${REGBRIDGE_NODE_IMPORT_LIB})
endfunction()
